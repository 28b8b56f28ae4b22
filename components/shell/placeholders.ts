/**
 * How a shell file (shell-file.ts) takes the values that vary per use: a
 * placeholder `@@NAME@@` (capitals, digits, _) is replaced by its value.
 *
 * - A placeholder alone on its line stands for whole lines: the line is
 *   replaced by the value, which is either "" (the line goes away) or lines
 *   ending in a newline — another filled shell file, say.
 * - Anywhere else it stands for part of one line: the value has no newline.
 *
 * Every placeholder must get a value and every value must be used, so a
 * misspelt name fails instead of leaving `@@NAME@@` in a script. Values are
 * inserted verbatim: the caller checks they are safe in their place (names
 * and URLs are validated before they get here). One pass: a value's own text
 * is never searched for placeholders.
 */

const PLACEHOLDER = /^@@([A-Z][A-Z0-9_]*)@@\n|@@([A-Z][A-Z0-9_]*)@@/gm;

export function fillPlaceholders(template: string, values: Readonly<Record<string, string>>, what = "a shell template"): string {
  const used = new Set<string>();
  const take = (name: string): string => {
    const value = values[name];
    if (value === undefined) throw new Error(`${what} has the placeholder @@${name}@@, but no value was given for it`);
    used.add(name);
    return value;
  };
  const filled = template.replace(PLACEHOLDER, (_match, block: string | undefined, inline: string | undefined) => {
    if (block !== undefined) {
      const value = take(block);
      if (value !== "" && !value.endsWith("\n")) throw new Error(`@@${block}@@ stands for whole lines in ${what}: its value must be empty or end with a newline`);
      return value;
    }
    const value = take(inline!);
    if (value.includes("\n")) throw new Error(`@@${inline}@@ stands for part of a line in ${what}: its value must not contain a newline`);
    return value;
  });
  const left = /@@[A-Z][A-Z0-9_]*@@/.exec(filled);
  if (left) throw new Error(`a value given to ${what} brought in the placeholder ${left[0]}: fill that text first`);
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length > 0) throw new Error(`${what} has no placeholder for ${unused.map((n) => `@@${n}@@`).join(", ")}`);
  return filled;
}
