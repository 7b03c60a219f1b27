// Loaded into a process by `node --import` (npm run bench): its peak resident memory, threads included, sampled every
// 10 ms and written to stderr as `peak-rss <bytes>` when it exits. Nothing else changes in the process it measures.
let peak = 0;
const sample = () => {
  peak = Math.max(peak, process.memoryUsage.rss());
};
setInterval(sample, 10).unref();
process.on('exit', () => {
  sample();
  process.stderr.write(`\npeak-rss ${peak}\n`);
});
