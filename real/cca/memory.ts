// Physical memory as the RMM and the host see it: 64-bit words of granule content.

import { GRANULE_SIZE } from '../../model/bits';
import { Words, ZERO_WORDS, setWords } from './types';
import { Content, Granule, RealState, contentWords, granuleAt, makeGranule, withGranule } from './state';

/** The RMM's read of a word of an NS granule it has validated (byte offset within the granule). */
export function readWord(s: RealState, pa: number, byteOffset: number): bigint {
  return contentWords(granuleAt(s, pa).content).get(byteOffset >>> 3) ?? 0n;
}

export function readWords(s: RealState, pa: number, byteOffset: number, n: number): bigint[] {
  const w = contentWords(granuleAt(s, pa).content);
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) out.push(w.get((byteOffset >>> 3) + i) ?? 0n);
  return out;
}

export function writeWordsIn(words: Words, byteOffset: number, values: readonly bigint[]): Words {
  const n = Math.min(values.length, GRANULE_SIZE / 8 - (byteOffset >>> 3));
  return setWords(words, n, (i) => (byteOffset >>> 3) + i, (i) => values[i]);
}

/**
 * Writes words into a granule that holds data (NS, DELEGATED, DATA). RD/REC/RTT objects are abstract
 * in this model: a raw write into one (which only a faulty RMM could make) is lost.
 */
export function writeWords(s: RealState, pa: number, byteOffset: number, values: readonly bigint[]): RealState {
  const g = granuleAt(s, pa);
  if (g.content.kind !== 'words') return s;
  const base = g.content.words;
  const words = writeWordsIn(base, byteOffset, values);
  if (words === base) return s;
  return withGranule(s, pa, makeGranule(g.pas, g.state, g.refcount, { kind: 'words', words }));
}

export const zeroContent = (): Content => ({ kind: 'words', words: ZERO_WORDS });

export const isZero = (g: Granule): boolean => g.content.kind === 'words' && g.content.words.size === 0;
