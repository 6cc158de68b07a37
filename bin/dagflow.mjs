#!/usr/bin/env node
// Runs the TypeScript CLI straight from src/ (tsx) so that `npx dagflow` works right after
// `npm ci`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
