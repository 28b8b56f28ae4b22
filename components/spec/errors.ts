/** One problem in the stack config: the key, the value it had, and how to fix it. */
export interface SpecProblem {
  /** Config key as a user writes it, e.g. `kube-ha:replicas[1].zone`. */
  key: string;
  /** The offending value, rendered for a person. */
  value: string;
  /** What is wrong and what to do instead. */
  message: string;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return "(not set)";
  try {
    const text = JSON.stringify(value);
    // A value may be huge (a 1 MB label): show its start and its size, not all of it.
    return text.length > 120 ? `${text.slice(0, 117)}... (${text.length} characters)` : text;
  } catch {
    return String(value);
  }
}

export function formatProblem(p: SpecProblem): string {
  return `${p.key} = ${p.value}: ${p.message}`;
}

/**
 * Thrown before any resource is registered when the stack config is invalid.
 * Carries every problem found, not only the first.
 */
export class SpecError extends Error {
  readonly problems: readonly SpecProblem[];

  constructor(problems: SpecProblem[]) {
    super(
      `invalid kube-ha configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
    );
    this.name = "SpecError";
    this.problems = problems;
  }
}

/** The problems a parse throws as a SpecError, or none; any other error is thrown on. */
export function problemsOf(parse: () => unknown): SpecProblem[] {
  try {
    parse();
    return [];
  } catch (e) {
    if (e instanceof SpecError) return [...e.problems];
    throw e;
  }
}
