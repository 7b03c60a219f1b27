import nock from 'nock';

// No test reaches the network; a test that runs a local server allows loopback itself.
nock.disableNetConnect();
