// The boot configuration of the separation hypervisor (reference A.1): guests with their physical cores,
// IPA space, RAM regions (the stage-2 map θ), GIC pages and image; peripherals (devices) with their
// MMIO page, interrupts and whether they do DMA through the SMMU; channels (a shared physical page
// mapped read/write at the sender and read-only at the receiver, plus a notification virq).
//
// Units: page numbers (4 KB pages) for IPAs and PAs; `entry` is a byte IPA. Memory content is abstracted
// to `wordsPerPage` 64-bit words per page (a word at byte offset o of a page is word (o >> 3) mod W): the
// isolation argument needs "which page", not "how many bytes" (DESIGN.md: abstract only what does not
// matter to isolation).

import * as t from 'io-ts';
import { Nat, strict } from './codec';

export interface Region { readonly ipa: number; readonly pa: number; readonly pages: number }
export interface GuestCfg {
  /** Physical core ids; the first is the primary (started at boot). Guest-local index κ = position. */
  readonly cores: readonly number[];
  /** IPA space: pages [0, 2^as). */
  readonly as: number;
  readonly ram: readonly Region[];
  /** The GIC distributor page (never mapped: every access traps to the emulation, A.4.4). */
  readonly gicd: number;
  /** The GIC CPU interface: pages gicc and gicc+1, mapped to the virtual CPU interface (no trap). */
  readonly gicc: number;
  readonly image: { readonly ipa: number; readonly pages: number };
  /** Entry point (byte IPA) of the primary core. */
  readonly entry: number;
}
export interface DeviceCfg {
  readonly owner: number;
  /** MMIO page in the owner's IPA space and its physical page (above RAM). */
  readonly ipa: number;
  readonly pa: number;
  readonly irqs: readonly number[];
  /** A DMA master behind the SMMU (its map = the owner's RAM and channel pages, incoming read-only). */
  readonly dma: boolean;
}
export interface ChannelCfg {
  readonly from: number;
  readonly to: number;
  readonly aSend: number;
  readonly aRecv: number;
  readonly pa: number;
  readonly virq: number;
}
export interface Cfg {
  readonly cores: number;
  readonly wordsPerPage: number;
  /** Physical RAM pages [0, ramPages); device pages lie above. */
  readonly ramPages: number;
  /** Hypervisor memory and page tables: never mapped into a guest. */
  readonly hypervisor: { readonly pa: number; readonly pages: number };
  readonly guests: readonly GuestCfg[];
  readonly devices: readonly DeviceCfg[];
  readonly channels: readonly ChannelCfg[];
  /** The optional cache layer (A.8's cache-alias bug class): write-back cache in front of RAM. */
  readonly cache: boolean;
}

/**
 * Three guests on four cores: guest 0 owns cores 0 and 1 (so PSCI CPU_ON has a core to start), guests 1
 * and 2 one core each. Channels 0→1 and 1→2: guest 2 is reachable from 0 only through 1, and nothing
 * flows back. RAM regions are adjacent in PA so an off-by-one in the golden image hits a neighbour.
 * One DMA device (guest 0's), each guest one peripheral with one interrupt.
 */
export const DEFAULT_CONFIG: Cfg = {
  cores: 4,
  wordsPerPage: 4,
  ramPages: 16,
  hypervisor: { pa: 14, pages: 2 },
  guests: [
    { cores: [0, 1], as: 4, ram: [{ ipa: 0, pa: 0, pages: 4 }], gicd: 8, gicc: 9, image: { ipa: 0, pages: 1 }, entry: 0 },
    { cores: [2], as: 4, ram: [{ ipa: 0, pa: 4, pages: 3 }], gicd: 8, gicc: 9, image: { ipa: 0, pages: 1 }, entry: 0 },
    { cores: [3], as: 4, ram: [{ ipa: 0, pa: 7, pages: 3 }], gicd: 8, gicc: 9, image: { ipa: 0, pages: 1 }, entry: 0 },
  ],
  devices: [
    { owner: 0, ipa: 6, pa: 256, irqs: [32], dma: true },
    { owner: 1, ipa: 6, pa: 257, irqs: [33], dma: false },
    { owner: 2, ipa: 6, pa: 258, irqs: [34], dma: false },
  ],
  channels: [
    { from: 0, to: 1, aSend: 4, aRecv: 4, pa: 12, virq: 48 },
    { from: 1, to: 2, aSend: 5, aRecv: 4, pa: 13, virq: 48 },
  ],
  cache: false,
};

const RegionC = strict({ ipa: Nat, pa: Nat, pages: Nat }, undefined, 'region');
const GuestC = strict(
  { cores: t.array(Nat), as: Nat, ram: t.array(RegionC), gicd: Nat, gicc: Nat, image: strict({ ipa: Nat, pages: Nat }, undefined, 'image'), entry: Nat },
  undefined, 'guest',
);
const DeviceC = strict({ owner: Nat, ipa: Nat, pa: Nat, irqs: t.array(Nat), dma: t.boolean }, undefined, 'device');
const ChannelC = strict({ from: Nat, to: Nat, aSend: Nat, aRecv: Nat, pa: Nat, virq: Nat }, undefined, 'channel');

/** The io-ts codec of a configuration file: every key optional (overrides on the defaults), none unknown. */
export const ConfigOverridesC = strict({}, {
  cores: Nat,
  wordsPerPage: Nat,
  ramPages: Nat,
  hypervisor: strict({ pa: Nat, pages: Nat }, undefined, 'hypervisor'),
  guests: t.array(GuestC),
  devices: t.array(DeviceC),
  channels: t.array(ChannelC),
  cache: t.boolean,
}, 'configuration');

export const CONFIG_KEYS = ['cores', 'wordsPerPage', 'ramPages', 'hypervisor', 'guests', 'devices', 'channels', 'cache'] as const;

/** Byte address of a page. */
export const pageBase = (page: number): bigint => BigInt(page) << 12n;
