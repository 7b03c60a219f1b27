/** A mistake in how the command line was called (a missing file, a bad config, a git command that failed): said, exit 2. */
export class UsageError extends Error {}
