// The engine, written once for every system (it imports no system): lockstep checking, the
// noninterference product, random runs with shrinking, coverage, trace files, exhaustive exploration.

export { Lockstep, runTrace, thrown } from './lockstep';
export type { Setup, StepReport } from './lockstep';
export { blocksOf, counterexampleAt, execute, inThread, joinBlocks, runBlock, runBlocks, runChecks, runChecksAsync, shardBlocks } from './run';
export type { AsyncRunOptions, BlockExecutor, BlockResult, Counterexample, Executed, RunOptions, RunResult, Shard } from './run';
export { niCheck } from './noninterference';
export { Coverage, RULES_GROUP, summarize, summaryJson } from './coverage';
export type { GroupSummary } from './coverage';
export { TRACE_FORMAT, TRACE_FORMAT_V1, decodeTrace, encodeTrace } from './trace';
export type { Expectation, Trace } from './trace';
export { explore } from './explore';
export type { ExploreOptions, ExploreResult } from './explore';
export { canonical } from './canonical';
export { check, CheckError } from './check';
export type { CheckOptions, CheckResult } from './check';
export { plain } from './plain';
