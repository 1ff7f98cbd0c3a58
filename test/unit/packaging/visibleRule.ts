/**
 * A task input's visibleRule as the classic editor reads it: clauses `<input> <operator> <value>`
 * joined by `&&` or `||`. Operators: = == != < > <= >= and Contains, StartsWith, EndsWith with their
 * Not… forms (as in-box tasks write them, e.g. AzureRmWebAppDeploymentV4's `Package NotEndsWith .war`);
 * `""` is the empty value.
 */
export interface RuleClause {
  input: string;
  operator: string;
  value: string;
}

const CLAUSE = /^([A-Za-z_][\w.]*)\s*(==|!=|<=|>=|=|<|>|\s(?:Not)?(?:Contains|StartsWith|EndsWith)\s)\s*(.*)$/;

/** The rule's clauses; throws on a clause it cannot read. */
export function parseVisibleRule(rule: string): RuleClause[] {
  return rule.split(/&&|\|\|/).map((text) => {
    const match = CLAUSE.exec(text.trim());
    if (!match) throw new Error(`visibleRule clause '${text.trim()}' is not '<input> <operator> <value>'`);
    const value = match[3].trim();
    return { input: match[1], operator: match[2].trim(), value: value === '""' ? "" : value };
  });
}
