import nock from 'nock';
import { beforeEach } from 'vitest';
import { sharedBlobTexts } from '../src/repository/blob-texts.js';

// No test reaches the network; a test that runs a local server allows loopback itself.
nock.disableNetConnect();

// Each test starts as a fresh replica: no blob texts remembered from another test's fake repository.
beforeEach(() => sharedBlobTexts.clear());
