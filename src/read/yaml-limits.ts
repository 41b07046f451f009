// Limits on what a YAML file may be: beyond them it is a mistake or an attack.

/** Nesting deeper than this is never a real policy; refuse it before it costs stack. */
export const MAX_DEPTH = 64;
/** Aliases may be used, but an expansion past this many nodes is a "billion laughs" bomb. */
export const MAX_NODES = 200_000;
