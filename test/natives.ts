// V8's natives syntax for the tests that compare hidden classes: switched on at run time, it applies to
// the functions compiled after it, so `sameMap` is compiled from source here.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line @typescript-eslint/no-implied-eval
export const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
