/** Reading the docs' markdown tables, for tests that check them against the live answer. */

/** A markdown table's rows (header and separator dropped), each a list of trimmed cells. */
export function markdownTable(doc: string, header: string): string[][] {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.startsWith('|') && l.includes(header));
  if (start < 0) throw new Error(`no table with a header containing "${header}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

/** One command of a shell example: what the doc says it prints and its exit code. */
export interface ShellStep {
  command: string;
  /** The `#   …` comment lines right after the command: lines of its output, in order. */
  output: string[];
  /** `(exit N)` in the comment before the command; 0 when it says nothing. */
  exitCode: number;
}

/**
 * The commands of the first code block after the heading `heading`: each non-comment line is a
 * command; the `#   ` (three spaces) comments right after it are lines of its output; other comments
 * are prose, and an `(exit N)` in them is the next command's exit code.
 */
export function shellSteps(doc: string, heading: string): ShellStep[] {
  const from = doc.indexOf(`\n${heading}\n`);
  if (from < 0) throw new Error(`no heading "${heading}"`);
  const block = /\n```[a-z]*\n([\s\S]*?)\n```/.exec(doc.slice(from));
  if (!block) throw new Error(`no code block after "${heading}"`);
  const steps: ShellStep[] = [];
  let exitCode = 0;
  let afterCommand = false; // output lines follow a command or each other; other comments are prose
  for (const line of block[1]!.split('\n')) {
    if (afterCommand && line.startsWith('#   ')) steps.at(-1)!.output.push(line.slice(4).trim());
    else if (line.startsWith('#')) {
      exitCode = Number(/\(exit (\d)\)/.exec(line)?.[1] ?? exitCode);
      afterCommand = false;
    } else if (line.trim()) {
      steps.push({ command: line.trim(), output: [], exitCode });
      exitCode = 0;
      afterCommand = true;
    } else afterCommand = false;
  }
  return steps;
}
