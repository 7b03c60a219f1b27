// The Probot entry: wires GitHub events to Warden's review, nothing else.
import type { ApplicationFunction, Probot } from 'probot';
import { indexRepository } from './index-repository.js';
import { MERGE_GROUP_EVENT, PULL_REQUEST_EDITED, PULL_REQUEST_EVENTS, onCheckRunRerequested, onMergeGroup, onPullRequest, onPullRequestEdited } from './github/handlers.js';
import { INDEX_LIMITS, type RunOptions } from './github/run.js';
import { onFixAllRequested } from './github/fix-all.js';
import { guardObjectPrototype } from './common/prototype-guard.js';

export function warden(options: RunOptions = {}): ApplicationFunction {
  return (app: Probot) => {
    // However Probot is started (src/server.ts, `probot run`), it loads the App before any review: from here on the
    // reviews read pull-request content in this thread (src/common/prototype-guard.ts).
    guardObjectPrototype();
    app.on([...PULL_REQUEST_EVENTS], async (context) => {
      await onPullRequest(context, options);
    });
    app.on(PULL_REQUEST_EDITED, async (context) => {
      await onPullRequestEdited(context, options);
    });
    app.on('check_run.rerequested', async (context) => {
      await onCheckRunRerequested(context, options);
    });
    app.on(MERGE_GROUP_EVENT, async (context) => {
      await onMergeGroup(context, options);
    });
    app.on('check_run.requested_action', async (context) => {
      await onFixAllRequested(context, options);
    });
  };
}

export default warden({ buildRepositoryIndex: (reader, config, urls) => indexRepository(reader, config, INDEX_LIMITS, urls) });
