// A template as read: its name, the path diagnostics show, its text.

export interface TemplateSource {
  name: string;
  /** Path as shown in diagnostics. */
  file: string;
  text: string;
}
