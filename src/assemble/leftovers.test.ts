import { describe, expect, it } from 'vitest';
import { leftoversIn, seamsIn } from './leftovers.js';

const codes = (text: string, markers?: string[]) => leftoversIn(text, markers).map((l) => `${l.code}:${l.found}`);

describe('leftoversIn', () => {
  it('finds the sample marks a district page must not hold', () => {
    expect(codes('Alternative language: the Board may')).toEqual(['sample-label-leak:Alternative language:']);
    expect(codes('Alternate: the Board may')).toEqual(['sample-label-leak:Alternate:']);
    expect(codes('the Superintendent [or designee] shall')).toEqual(['editorial-marker:[or designee]']);
    expect(codes('beginning July 1, 20__ the plan')).toEqual(['sample-blank:20__']);
    expect(codes('the ____________ Board')).toEqual(['sample-blank:____________']);
    expect(codes('the {{town}} office')).toEqual(['unexpanded-placeholder:{{town}}']);
    expect(codes('approved (if applicable) by', ['(IF APPLICABLE)'])).toEqual(['editorial-marker:(if applicable)']);
    expect(codes('(optional) a helmet')).toEqual(['unresolved-marker:(optional)']);
  });

  it('takes a footnote marker the policy declares for its own, and no other', () => {
    const footnotes = new Set(['[1]', '[2]']);
    expect(leftoversIn('as the law requires.[1] Smaller ones.[2]', [], footnotes)).toEqual([]);
    expect(leftoversIn('as the law requires.[1] Smaller ones.[3]', [], footnotes).map((l) => l.found)).toEqual(['[3]']);
    expect(codes('as the law requires.[1]')).toEqual(['editorial-marker:[1]']);
  });

  it('leaves Markdown and ordinary words alone', () => {
    expect(codes('a __strong__ word and a [link](https://example.org) and [ref][1]')).toEqual([]);
    expect(codes('the alternate member of the committee: the chair')).toEqual([]);
    expect(codes('snake_case and a_b')).toEqual([]);
  });
});

describe('seamsIn', () => {
  it('finds doubled spaces and words the clause text does not hold itself', () => {
    const clause = [{ kind: 'text', text: 'meet ' }, { kind: 'ref', name: 'when', range: [0, 0] }, { kind: 'text', text: ' each month' }] as const;
    expect(seamsIn('meet  each month', [...clause]).map((l) => l.found)).toEqual(['{{when}}']);
    expect(seamsIn('the the Board', [{ kind: 'text', text: 'the ' }, { kind: 'ref', name: 'who', range: [0, 0] }]).map((l) => l.code)).toEqual(['doubled-text']);
    // The sample's own doubled space is the sample's.
    expect(seamsIn('end.  Next', [{ kind: 'text', text: 'end.  Next' }])).toEqual([]);
  });
});
