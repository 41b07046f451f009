// JSON pointers: how every stage names a place in a YAML file ('/policies/5142.4/options').

// Keys almost never hold "~" or "/"; these run for every value of every file, so skip the replaces then.
export function pointerJoin(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}/${key}`;
  if (!key.includes('~') && !key.includes('/')) return `${base}/${key}`;
  return `${base}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

export function pointerSplit(pointer: string): string[] {
  if (pointer === '') return [];
  const segments = pointer.slice(1).split('/');
  if (!pointer.includes('~')) return segments;
  return segments.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
