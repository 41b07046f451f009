// The JSON export: the whole manual, every assembled document, as one file.
import { manualJson } from '../json.js';
import type { CodeFormat } from './format.js';

export const json: CodeFormat = {
  name: 'json',
  binary: false,
  wholeManual: true,
  templated: false,
  manual: {
    name: (edition) => `manual${edition === 'district' ? '' : `.${edition}`}.json`,
    render: (policies, config, edition) => manualJson(policies, config, edition),
  },
};
