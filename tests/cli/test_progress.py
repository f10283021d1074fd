"""The progress bar long commands draw."""

import io

from filmstrip.cli.progress import ProgressBar


def test_a_bar_told_its_total_late_draws_it():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    with ProgressBar(0, "checking", terminal) as bar:
        bar.report(1, 2, "/feed/json/")
        bar.report(2, 2, "/")
    assert (bar.done, bar.total) == (2, 2)
    assert "[##############################] 2/2 /" in terminal.getvalue()
