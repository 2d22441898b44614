// The part of madge's API the import-graph test uses (madge ships no types).
declare module 'madge' {
  interface MadgeResult {
    obj(): Record<string, string[]>;
    circular(): string[][];
  }
  function madge(paths: string | string[], config?: Record<string, unknown>): Promise<MadgeResult>;
  export default madge;
}
