// The REC state that lives in the REC's auxiliary granules (issue 14 §1, "REC auxiliary granules
// hold state").
//
// TF-RMM (rmm-spec-v1.0-rel0, runtime/include/rec.h `struct rec_aux_data`, runtime/rmi/rec.c
// rec_aux_granules_init) lays the aux granules out as the attestation heap, the PMU state, the SIMD
// state, then `struct rec_attest_data` (the token-signing context and how many token bytes were
// copied to the realm) and the token buffer. REC_CREATE does not zero them: it relies on DELEGATED
// granules being zero, and only initialises the SIMD context; REC_DESTROY scrubs them
// (free_rec_aux_granules(..., scrub = true)).
//
// The abstraction: of that, the model has only the attestation state (it models no PMU, SIMD or
// heap), so the attestation state is what the aux granules hold, as words of the LAST aux granule
// (where TF-RMM's rec_attest_data sits, after heap, PMU and SIMD): word 0 = 1 while a token is in
// progress, word 1 = the challenge, word 2 = bytes already given to the realm. All zero = no token,
// which is exactly what a scrubbed (DELEGATED) granule holds, so a new REC starts with no token only
// because its aux granules were scrubbed: a missing scrub is visible through reuse (the next REC
// inherits a token in progress), through the DELEGATED-zero invariant, and through undelegation.
// A REC with no aux granule (recAuxCount 0, which TF-RMM does not support) has nowhere to keep a
// token: TOKEN_INIT succeeds but CONTINUE finds no token.

import { RealState, Rec, granuleAt } from './state';
import { setContent } from './ops';
import { contentWords } from './state';
import { setWord } from './types';

export const AUX_ATTEST = { active: 0, challenge: 1, offset: 2 } as const;

export interface AttestState {
  /** The challenge of the token in progress, or null when there is none. */
  readonly challenge: bigint | null;
  /** Bytes of the token already copied to the realm. */
  readonly offset: number;
}

const attestGranule = (rec: Rec): number | undefined => rec.aux[rec.aux.length - 1];

export function attestState(s: RealState, rec: Rec): AttestState {
  const pa = attestGranule(rec);
  if (pa === undefined) return { challenge: null, offset: 0 };
  const w = contentWords(granuleAt(s, pa).content);
  if ((w.get(AUX_ATTEST.active) ?? 0n) === 0n) return { challenge: null, offset: 0 };
  return { challenge: w.get(AUX_ATTEST.challenge) ?? 0n, offset: Number((w.get(AUX_ATTEST.offset) ?? 0n) & 0xffffn) };
}

export function withAttestState(s: RealState, rec: Rec, a: AttestState): RealState {
  const pa = attestGranule(rec);
  if (pa === undefined) return s;
  let w = contentWords(granuleAt(s, pa).content);
  w = setWord(w, AUX_ATTEST.active, a.challenge === null ? 0n : 1n);
  w = setWord(w, AUX_ATTEST.challenge, a.challenge ?? 0n);
  w = setWord(w, AUX_ATTEST.offset, BigInt(a.offset));
  return setContent(s, pa, { kind: 'words', words: w });
}
