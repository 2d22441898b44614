// RMI_FEATURES(index) -> X1 = RmiFeatureRegister0 for index 0, else 0. Never fails.
import { Config } from '../config';
import { arg } from '../command';
import type { RmiCommand } from '../spec';
import { RealState } from '../state';

interface C { s: RealState; index: bigint }

export function featureRegister0(cfg: Config): bigint {
  const f = (v: number | boolean, shift: number) => BigInt(Number(v)) << BigInt(shift);
  return (
    f(cfg.maxIpaWidth, 0) | f(cfg.lpa2, 8) | f(cfg.sveSupported, 9) | f(cfg.sveMaxVl, 10) | f(cfg.maxBps, 14) |
    f(cfg.maxWps, 20) | f(cfg.pmuSupported, 26) | f(cfg.pmuMaxCtrs, 27) | f(cfg.sha256, 32) | f(cfg.sha512, 33) |
    f(cfg.gicNumLrs, 34) | f(cfg.maxRecsOrder, 38)
  );
}

export const FEATURES: RmiCommand<C> = {
  name: 'FEATURES',
  context: (s, x) => ({ s, index: arg(x, 0) }),
  failures: [],
  effect: (c) => ({ state: c.s, x: [c.index === 0n ? featureRegister0(c.s.cfg) : 0n] }),
};
