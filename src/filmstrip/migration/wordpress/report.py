"""What a WordPress import did: counts by kind and outcome, and one line per problem naming the
post and the reason. No Django here: the command prints it, the tests read it."""

from collections import Counter
from dataclasses import dataclass, field

from .records import Item

# The order the summary lists kinds and outcomes in; others follow, sorted.
KINDS = ("essays", "photos", "comments", "links back")
OUTCOMES = ("created", "updated", "filled in", "unchanged", "skipped", "missing")


@dataclass(frozen=True)
class Problem:
    post: str  # "“Title” (post 12)", or the file for a problem with the export itself
    reason: str

    def __str__(self) -> str:
        return f"{self.post}: {self.reason}"


@dataclass
class Report:
    site: str = ""
    dry_run: bool = False
    counts: Counter = field(default_factory=Counter)  # (kind, outcome) -> n
    problems: list[Problem] = field(default_factory=list)
    # Constructs of the posts' content kept as text, by name, with how many posts had them.
    unknown: Counter = field(default_factory=Counter)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        if n:
            self.counts[kind, outcome] += n

    def problem(self, post: str, reason: str) -> None:
        self.problems.append(Problem(post, reason))

    def __getitem__(self, key: tuple[str, str]) -> int:
        return self.counts[key]

    @property
    def changed(self) -> bool:
        """Whether the import created, updated or filled in anything."""
        return any(n for (_, outcome), n in self.counts.items() if outcome in OUTCOMES[:3])

    def summary(self) -> list[str]:
        """One line per kind: "essays: 3 created, 1 skipped"."""
        lines = []
        kinds = sorted({k for k, _ in self.counts}, key=_order(KINDS))
        for kind in kinds:
            outcomes = sorted({o for k, o in self.counts if k == kind}, key=_order(OUTCOMES))
            parts = ", ".join(f"{self.counts[kind, o]} {o}" for o in outcomes)
            lines.append(f"{kind}: {parts}")
        return lines

    def lines(self) -> list[str]:
        """The whole report, as the command prints it."""
        head = f"WordPress import of {self.site}" + (
            " (dry run: nothing written)" if self.dry_run else ""
        )
        lines = [head, *(f"  {line}" for line in self.summary())]
        if not self.changed:
            lines.append("  Nothing changed: everything in the export was imported before.")
        if self.unknown:
            kept = ", ".join(f"{name} ({n})" for name, n in sorted(self.unknown.items()))
            lines.append(f"  Kept as text, unknown here: {kept}")
        lines += [f"  {problem}" for problem in self.problems]
        return lines


def label(item: Item) -> str:
    """How the report names a post."""
    title = item.title.strip() or "(no title)"
    return f"“{title}” ({item.type} {item.id})"


def _order(known: tuple[str, ...]):
    return lambda name: (known.index(name) if name in known else len(known), name)
