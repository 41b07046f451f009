import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import { parseInline } from './inline.js';

const parse = (text: string) => parseInline(text, 'x.yaml', `p: "${text}"`, [3, 5 + text.length], new Diagnostics());

describe('parseInline', () => {
  it('splits simple placeholders as the Handlebars parser does', () => {
    for (const text of ['the district {{employ-verb}} employ', '{{a}}{{b}}', 'with the {{police-department sample="law enforcement agency/police department"}} in', '{{ x }} and {{y  sample="____"}}.']) {
      const viaHandlebars = (Handlebars.parse(text).body as { type: string; value?: string; path?: { original: string } }[]).map((n) =>
        n.type === 'ContentStatement' ? n.value : `{{${n.path!.original}}}`,
      );
      const ours = parse(text).map((n) => (n.kind === 'text' ? n.text : `{{${n.name}}}`));
      expect(ours).toEqual(viaHandlebars);
    }
  });

  it('keeps samples and maps each placeholder to its place in the file', () => {
    const text = 'with the {{p sample="__"}} x';
    const [, ref] = parse(text);
    const at = `p: "${text}"`.indexOf('{{p');
    expect(ref).toMatchObject({ kind: 'ref', name: 'p', sample: '__', range: [at, at + '{{p sample="__"}}'.length] });
  });

  it('leaves escapes, comments and blocks to the Handlebars parser', () => {
    expect(parse('a \\{{b}} c')).toEqual([{ kind: 'text', text: 'a {{b}} c' }]);
    expect(parse('a {{! note }}b')).toEqual([{ kind: 'text', text: 'a b' }]);
    const diags = new Diagnostics();
    parseInline('x {{#if a}}y{{/if}}', 'x.yaml', 'p: "x {{#if a}}y{{/if}}"', [3, 25], diags);
    expect(diags.items.map((d) => d.code)).toEqual(['clause-template']);
  });
});
