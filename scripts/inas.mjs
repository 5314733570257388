#!/usr/bin/env node
// Entry point of the `inas` command: runs the TypeScript CLI through tsx (no build step needed after `npm ci`).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
