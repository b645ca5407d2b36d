"""The diagnostic registry: one entry per stable code, the single place messages are worded.

Codes by stage: E1xx reading and syntax, E2xx names and types in a policy, E23x versions and
amendments, E3xx conflicts in a regulation (`cchc-dsl check`), E4xx facts files, E5xx evaluation
of one unit, E6xx command-line input and output, E7xx worked test cases. Each entry has its
message in English and in Vietnamese (the same {fields}), what the check finds and why it
matters, and a bad and a fixed example for `cchc-dsl explain` and docs/diagnostics.md.
"""

from __future__ import annotations

import attrs


@attrs.frozen(slots=True)
class Message:
    code: str
    title: str
    severity: str  # "error" | "warning" | "note"
    template: str
    explanation: str
    title_vi: str = ""
    template_vi: str = ""  # the same {fields} as `template`
    explanation_vi: str = ""
    bad: str = ""  # a small example that triggers the code (.cchc text, or a facts file, …)
    fix: str = ""  # the same example, fixed


_ENTRIES = (
    # --- reading and syntax ---
    Message(
        "E101",
        "unexpected character",
        "error",
        "unexpected character {char!r}",
        "The text contains a character the language does not use at this place.",
    ),
    Message(
        "E102",
        "unexpected token",
        "error",
        "unexpected {found}; expected {expected}",
        "The statement is not complete or a word is out of place.",
    ),
    Message(
        "E103",
        "unexpected end of file",
        "error",
        "the file ends early; expected {expected}",
        "A block opened with '{{' was not closed, or a statement is cut off.",
    ),
    Message(
        "E104",
        "invalid date",
        "error",
        "{text!r} is not a valid date",
        "Dates are written YYYY-MM-DD or DD/MM/YYYY and must exist in the calendar.",
    ),
    Message(
        "E105",
        "number too long",
        "error",
        "the number {text!r} has more than {limit} digits",
        "Points and bounds are short decimals; a number this long is a typing mistake.",
    ),
    Message(
        "E106",
        "cannot read file",
        "error",
        "cannot read {path}: {reason}",
        "The file is missing, unreadable or not UTF-8 text.",
    ),
    Message(
        "E107",
        "unterminated string",
        "error",
        "this string has no closing quote",
        "Strings are written between double quotes on one line.",
    ),
    # --- names and types in a policy ---
    Message(
        "E201",
        "unknown input",
        "error",
        "unknown input «{name}»",
        "Every input a rule reads must be declared in the inputs block.",
    ),
    Message(
        "E202",
        "unknown unit type or tag",
        "error",
        "unknown unit type or tag «{name}»",
        "Unit types and tags are declared in the unit_types block.",
    ),
    Message(
        "E203",
        "unknown choice",
        "error",
        "«{name}» is not {what}; use one of: {choices}",
        "Some words name one of a fixed set of choices (input types, rounding modes, ...).",
    ),
    Message(
        "E204",
        "duplicate id",
        "error",
        "the id {id} is used twice",
        "Every field, criterion, bonus and deduction needs its own id so results can name it.",
    ),
    Message(
        "E205",
        "duplicate declaration",
        "error",
        "{what} is declared twice",
        "A declaration may be given once; the second would silently win.",
    ),
    Message(
        "E206",
        "type error",
        "error",
        "{message}",
        "Each input has a type; an expression must combine values of fitting types.",
    ),
    Message(
        "E207",
        "criterion without a rule",
        "error",
        "{kind} {id} has neither a rule nor children",
        "A leaf of the tree needs a scoring rule, or the unit could never get its points.",
    ),
    Message(
        "E208",
        "rule beside children",
        "error",
        "{kind} {id} has both sub-criteria and a rule",
        "A node with children scores as the sum of its children; a rule there has no meaning.",
    ),
    Message(
        "E209",
        "more than one rule",
        "error",
        "{kind} {id} has more than one rule",
        "A leaf is scored by exactly one rule; split it into sub-criteria to score two things.",
    ),
    Message(
        "E210",
        "missing max",
        "error",
        "{what} {id} has no max for unit type «{unit_type}»",
        "Every leaf needs a max for each unit type it applies to.",
    ),
    Message(
        "E211",
        "missing metadata",
        "error",
        "the regulation has no {what}",
        "A regulation states its title, and its rounding of the index.",
    ),
    Message(
        "E212",
        "percent compared with a plain number",
        "error",
        "{left} is a rate but {right} is a plain number",
        "Rates run from 0 % to 100 %; write the bound with a '%' sign.",
    ),
    Message(
        "E213",
        "evidence on a node with children",
        "error",
        "{kind} {id} requires evidence but has sub-criteria",
        "Evidence backs a scored leaf; put the requirement on each sub-criterion.",
    ),
    Message(
        "E214",
        "empty interval",
        "error",
        "the interval {text} contains no value",
        "A lower bound above its upper bound matches nothing.",
    ),
    Message(
        "E215",
        "unknown node",
        "error",
        "no field or criterion has the id {id}",
        "An adjustment applies to the total, the index, or an existing node.",
    ),
    Message(
        "E216",
        "misplaced statement",
        "error",
        "{message}",
        "Some statements only make sense in certain places.",
    ),
    Message(
        "E217",
        "mixed group",
        "error",
        "the group «{title}» mixes bonuses and deductions",
        "A group caps the sum of adjustments of one kind.",
    ),
    Message(
        "E218",
        "no unit types",
        "error",
        "the regulation declares no unit types",
        "Units are scored per unit type (sở, huyện, xã...); declare at least one.",
    ),
    Message(
        "E219",
        "survey without a survey declaration",
        "error",
        "{message}",
        "Survey criteria and the survey block go together: the block says what a missing "
        "survey means.",
    ),
    Message(
        "E220",
        "invalid rounding",
        "error",
        "rounding places must be 0 to 10, not {places}",
        "The index is published with a few decimals.",
    ),
    Message(
        "E221",
        "invalid max",
        "error",
        "{message}",
        "Maxima are positive, and a unit type gets one value.",
    ),
    Message(
        "E222",
        "unit type listed twice",
        "error",
        "«{name}» appears in two {what}",
        "A unit type is classified by one band table and ranked in one block.",
    ),
    # --- versions and amendments ---
    Message(
        "E230",
        "amendment target not found",
        "error",
        "{decision} {what} {id}, which the regulation does not have",
        "An amendment can only replace, remove, change or move what the amended text holds.",
    ),
    Message(
        "E231",
        "added id already used",
        "error",
        "{decision} adds {id}, which the regulation already has",
        "To change an existing node, replace it; to add one, give it a new id.",
    ),
    Message(
        "E232",
        "two amendments change one node on one date",
        "error",
        "{first} and {second} both take effect on {date} and both change {id}",
        "Which one applies first would decide the result; give them different dates or merge them.",
    ),
    Message(
        "E233",
        "no regulation in force",
        "warning",
        "no regulation is in force from {start} to {end}",
        "An index year in that gap could not be scored; check the effective and until dates.",
    ),
    Message(
        "E234",
        "amended decision not found",
        "error",
        "{decision} amends «{amends}», which no regulation here has as its decision",
        "An amendment is read with the regulation it amends, found by its decision number.",
    ),
    Message(
        "E235",
        "misplaced amendment statement",
        "error",
        "{message}",
        "Regulations state criteria; amendments add, replace, remove, change or move them.",
    ),
    Message(
        "E236",
        "missing date or reference",
        "error",
        "the document has no {what}",
        "Versions are picked by their dates: every regulation and amendment in a folder needs "
        "an effective date, and an amendment the decision it amends.",
    ),
    Message(
        "E237",
        "no regulation for the year",
        "error",
        "{message}",
        "A province folder holds the regulations of several years; the one in force at the end "
        "of the index year applies.",
    ),
    # --- conflicts in a regulation (cchc-dsl check) ---
    Message(
        "E301",
        "parent max differs from its criteria",
        "error",
        "{kind} {id} says max {declared} for {unit_type}, but what it holds adds up to {total}",
        "A field's max is the sum of its criteria; a declared max that differs is a drafting error, and the published annex would contradict the scores.",
    ),
    Message(
        "E302",
        "unit type or tag with nothing to score",
        "error",
        "no criterion applies to «{name}»",
        "A unit of this type (or with this tag) would have a max of 0 and no index.",
    ),
    Message(
        "E303",
        "total max differs from the declared one",
        "error",
        "the criteria for {unit_type} add up to {total}, not the declared {declared}",
        "`total max` states what each unit type's criteria must add up to (usually 100).",
    ),
    Message(
        "E310",
        "overlapping steps",
        "error",
        "two steps of {what} both take {value}: «{first}» and «{second}»",
        "With overlapping steps the order they are written in decides the points; say the bounds so that one value falls in one step.",
    ),
    Message(
        "E311",
        "gap between steps",
        "error",
        "no step of {what} takes {value}, and there is no `otherwise`",
        "A value in the gap could not be scored: the unit would get an error instead of points.",
    ),
    Message(
        "E312",
        "unreachable step",
        "warning",
        "the step «{step}» of {what} can never apply: earlier steps take all its values",
        "Steps are tried in order; a step covered by earlier ones is dead text.",
    ),
    Message(
        "E313",
        "points outside 0 .. max",
        "error",
        "{what} can give {points}, outside 0 .. {maximum} for {unit_type}",
        "A rule must not give more than its node's max or less than zero; the engine would cut the points silently.",
    ),
    Message(
        "E314",
        "judgement step does not divide the max",
        "error",
        "steps of {step} cannot reach the max {maximum} of {what} for {unit_type}",
        "The council could never give full points, or would have to leave the scale.",
    ),
    Message(
        "E315",
        "ratio without a zero-denominator outcome",
        "warning",
        "{what} divides by «{name}», which may be 0, and declares no outcome for it",
        "A unit with nothing to count (no files received, say) would get an error; say what it means, e.g. `when b = 0: not_applicable full`.",
    ),
    Message(
        "E316",
        "deadline steps out of order",
        "error",
        "in {what}, «late at most {days} days» comes after a step that already takes {earlier} days",
        "Late steps are tried in order; a longer delay written before a shorter one makes the shorter one unreachable.",
    ),
    Message(
        "E320",
        "outcome that cannot arise",
        "warning",
        "the condition of «{clause}» in {what} can never hold for {name} in {low} .. {high}",
        "An outcome clause that no input can trigger is dead text, often a typo in the bound.",
    ),
    Message(
        "E330",
        "overlapping bands",
        "error",
        "bands «{first}» and «{second}» both take an index of {value}",
        "An index in two bands would be classified by the order the bands are written in.",
    ),
    Message(
        "E331",
        "gap between bands",
        "error",
        "no band takes an index of {value}",
        "A unit with that index would get no classification; mind inclusive (from, to) and exclusive (above, below) bounds.",
    ),
    Message(
        "E332",
        "bands do not cover the index range",
        "error",
        "no band takes an index of {value} (the index runs {low} .. {high})",
        "Every possible index, 0 % to 100 % (or above, when bonuses may lift the total), needs a band.",
    ),
    Message(
        "E333",
        "duplicate band name",
        "error",
        "the band «{name}» is named twice",
        "A band name is what a unit's classification says; two bands with one name hide a mistake.",
    ),
    Message(
        "E340",
        "bonus above an unclamped total",
        "warning",
        "{what} can lift the total above the max, and the total is not clamped",
        "Without `total clamp 0 .. max` a unit could score above 100 %; say whether that is meant.",
    ),
    Message(
        "E341",
        "event counted twice",
        "warning",
        "{first} and {second} both count «{name}»",
        "The same event would be rewarded or penalised twice; use one rule, or inputs that count different things.",
    ),
    Message(
        "E350",
        "input never used",
        "warning",
        "the input «{name}» is declared but no rule reads it",
        "Units would be asked for a value that changes nothing: a leftover, or a rule that names the wrong input.",
    ),
    # --- facts files ---
    Message(
        "E401",
        "malformed facts file",
        "error",
        "{message}",
        "Facts files are JSON or CSV with one unit per object or row.",
    ),
    Message(
        "E402",
        "unknown input in facts",
        "error",
        "unit {unit}: unknown input «{name}»",
        "Every value must belong to an input the policy declares.",
    ),
    Message(
        "E403",
        "missing input",
        "error",
        "unit {unit}: input «{name}» is missing",
        "A rule needs this value; a missing value is never taken as zero.",
    ),
    Message(
        "E404",
        "wrong value type",
        "error",
        "unit {unit}: input «{name}» expects {expected}, got {value!r}",
        "Each input has a declared type.",
    ),
    Message(
        "E405",
        "value out of range",
        "error",
        "unit {unit}: input «{name}» = {value} is outside {low} .. {high}",
        "The policy declares the range an input may take.",
    ),
    Message(
        "E406",
        "unknown unit type",
        "error",
        "unit {unit}: unknown unit type «{name}»",
        "Each unit is of a unit type the policy declares.",
    ),
    Message(
        "E407",
        "duplicate unit",
        "error",
        "the unit id {unit} appears twice",
        "Each unit is listed once per facts file.",
    ),
    Message(
        "E408",
        "unknown tag",
        "error",
        "unit {unit}: unknown tag «{name}»",
        "Tags are declared in the policy's unit_types block.",
    ),
    Message(
        "E409",
        "missing unit field",
        "error",
        "unit {unit}: missing «{name}»",
        "Each unit has an id and a unit type.",
    ),
    Message(
        "E410",
        "unknown evidence node",
        "error",
        "unit {unit}: evidence given for «{name}», which is not a criterion of this policy",
        "Evidence is keyed by the id of the criterion it backs.",
    ),
    # --- evaluation ---
    Message(
        "E501",
        "division by zero",
        "error",
        "unit {unit}: {node} divides by zero and declares no outcome for it",
        "Declare what a zero denominator means, e.g. `when b = 0: not_applicable full`.",
    ),
    Message(
        "E502",
        "rate above 100 %",
        "error",
        "unit {unit}: {node} has a rate of {rate} (above 100 %)",
        "A proportional rule scores rate × max, so the rate must lie in 0..100 %.",
    ),
    Message(
        "E503",
        "judgement off the scale",
        "error",
        "unit {unit}: {node} was given {value} points; allowed 0 .. {max} in steps of {step}",
        "The council's points must lie within the criterion's max in the declared steps.",
    ),
    Message(
        "E504",
        "survey missing",
        "error",
        "unit {unit}: the survey results are missing and the policy requires them",
        "The policy's survey block says a missing survey is an error.",
    ),
    Message(
        "E505",
        "conflicting maxima",
        "error",
        "unit {unit}: {node} has different maxima for its tags {tags}",
        "A unit with two tags that set different maxima cannot be scored.",
    ),
    Message(
        "E506",
        "not applicable to this unit type",
        "error",
        "unit {unit}: {message}",
        "The requested operation does not fit the unit.",
    ),
    Message(
        "E507",
        "no step matches",
        "error",
        "unit {unit}: {node} has no step for {value} and no 'otherwise'",
        "A step table must place every value; add `otherwise: 0` or the missing step.",
    ),
    Message(
        "E508",
        "no index year",
        "error",
        "unit {unit}: {node} has a deadline on {day} of the index year, and no year is given",
        "A deadline written as a day and month falls in the year being scored.",
    ),
    # --- worked test cases (cchc-dsl test) ---
    Message(
        "E701",
        "malformed test file",
        "error",
        "{message}",
        "A worked-case file is TOML naming a policy, a facts file and [[case]] tables.",
    ),
    Message(
        "E702",
        "decimal written as a TOML number",
        "error",
        '{field} = {value} is a TOML number; write it as a string: {field} = "{value}"',
        "TOML numbers with a fraction are binary floats; points are exact decimals.",
    ),
    # --- command line ---
    Message(
        "E601",
        "cannot write output",
        "error",
        "cannot write {path}: {reason}",
        "The output file's folder must exist and be writable.",
    ),
    Message(
        "E602",
        "unknown unit",
        "error",
        "no unit with id «{unit}» in the facts",
        "--explain takes the id of a unit in the facts file.",
    ),
    Message(
        "E603",
        "invalid option",
        "error",
        "{message}",
        "An option's value is not one the command accepts.",
    ),
)

MESSAGES: dict[str, Message] = {entry.code: entry for entry in _ENTRIES}
