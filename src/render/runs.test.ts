import { describe, expect, it } from 'vitest';
import { runsToHtml, runsToMarkdown } from './runs.js';

describe('runsToHtml', () => {
  it('drops the line break that ends a YAML block scalar, as Markdown does', () => {
    // paragraph: |  (and >) leave one line break after the text.
    expect(runsToHtml([{ kind: 'md', text: 'Students lock\ntheir bicycles.\n' }])).toBe('Students lock\ntheir bicycles.');
    expect(runsToHtml([{ kind: 'md', text: 'One *line*.\n' }])).toBe('One <em>line</em>.');
    expect(runsToMarkdown([{ kind: 'md', text: 'One *line*.\n' }])).toBe('One *line*.\n');
    // Inside the text, line breaks stay.
    expect(runsToHtml([{ kind: 'md', text: 'a\nb' }, { kind: 'value', text: 'Vellmoor' }])).toBe('a\nbVellmoor');
  });
});
