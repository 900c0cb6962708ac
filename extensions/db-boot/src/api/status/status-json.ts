import type { BootStatus } from './read-status';

/** A value as it arrives after JSON.stringify: dates turn into ISO strings. */
type AsJson<T> = T extends Date
  ? string
  : T extends (infer Item)[]
    ? AsJson<Item>[]
    : T extends object
      ? { [Key in keyof T]: AsJson<T[Key]> }
      : T;

/** The body of GET /db-boot/status, the one thing the panel shares with the API side. */
export type BootStatusJson = AsJson<BootStatus>;
