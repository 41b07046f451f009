// DOCX, the named styles every Word file of sro-policy's uses: a district
// restyles its whole manual by changing them in Word (or with
// output.docx.reference). docs/printing.md lists them.
import type { IStylesOptions } from 'docx';

export const STYLES: IStylesOptions = {
  default: { document: { run: { font: 'Calibri', size: 22 } } },
  paragraphStyles: [
    { id: 'PolicyNumber', name: 'Policy Number', basedOn: 'Normal', next: 'Normal', run: { bold: true, size: 24 } },
    { id: 'Series', name: 'Series', basedOn: 'Normal', next: 'Normal', run: { color: '555555' } },
    { id: 'LeadIn', name: 'Lead-in', basedOn: 'Normal', next: 'ListParagraph', paragraph: { keepNext: true } },
    { id: 'ListParagraph', name: 'List Paragraph', basedOn: 'Normal', paragraph: { spacing: { after: 60 } } },
    { id: 'Definition', name: 'Definition', basedOn: 'Normal', paragraph: { indent: { left: 360 } } },
    { id: 'CrossReference', name: 'Cross-reference', basedOn: 'Normal', paragraph: { spacing: { after: 0 } } },
    { id: 'LegalReference', name: 'Legal Reference', basedOn: 'Normal', paragraph: { spacing: { after: 0 } } },
    { id: 'History', name: 'History', basedOn: 'Normal', paragraph: { spacing: { before: 120, after: 0 } } },
    { id: 'BoardNote', name: 'Note to the Board', basedOn: 'Normal', run: { italics: true }, paragraph: { indent: { left: 360 } } },
    { id: 'Label', name: 'Sample Label', basedOn: 'Normal', next: 'Normal', run: { italics: true } },
    { id: 'Annotation', name: 'Annotation', basedOn: 'Normal', run: { italics: true, color: '7A4B00' } },
    { id: 'TableHeading', name: 'Table Heading', basedOn: 'Normal', run: { bold: true } },
    { id: 'Caption', name: 'Caption', basedOn: 'Normal', next: 'Normal', run: { italics: true } },
  ],
};
