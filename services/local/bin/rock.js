#!/usr/bin/env node
// Links the repository's `rock` CLI (bin/rock) into node_modules/.bin through this workspace,
// so `npx rock …` works in a checkout (npm does not link the root package's own bin).
'use strict';
require('../../../bin/rock');
