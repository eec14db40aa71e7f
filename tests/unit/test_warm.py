"""deploy/warm.py's rules, without processes: when a round warms which app process, and what it runs."""
from __future__ import annotations

from deploy import warm
from deploy.probe import PageRun

DONE = "FINISHED_SUCCESSFULLY"


class World:
    """A lake version, a clock and app processes that record the pages they were asked to run."""

    def __init__(self):
        self.v, self.now, self.runs, self.broken = "v1", 0.0, [], set()

    def probe(self, url, path):
        self.runs.append((url, path))
        if url == "http://down":
            raise ConnectionRefusedError(111, "Connect call failed")
        if (url, path) in self.broken:
            return PageRun(exceptions=["KeyError: 'x'"], finished=DONE)
        return PageRun(finished=DONE)

    def warmer(self, **kw):
        return warm.Warmer(["http://a", "http://b"], ["", "project"], lambda: self.v, self.probe,
                           clock=lambda: self.now, log=lambda s: None, **kw)


def test_the_pages_are_the_routed_ones_the_overview_at_the_root():
    paths = warm.page_paths()
    assert paths[0] == "" and "overview" not in paths
    assert {"project", "compare", "budget", "outcomes", "satisfaction"} <= set(paths)


def test_every_page_of_every_process_once_per_settled_version():
    w = World()
    warmer = w.warmer(settle=5)
    assert warmer.step() == {}            # the version was just seen: an import may still be writing
    w.now = 4.9
    assert warmer.step() == {} and w.runs == []
    w.now = 5
    assert set(warmer.step()) == {"http://a", "http://b"}
    assert w.runs == [("http://a", ""), ("http://a", "project"), ("http://b", ""), ("http://b", "project")]
    assert warmer.warm("http://a") and warmer.warm("http://b")
    w.now = 60
    assert warmer.step() == {} and len(w.runs) == 4   # nothing new: nothing run
    # new files: not warm any more; warmed again once they have stayed the same for `settle`
    w.v = "v2"
    assert warmer.step() == {} and not warmer.warm("http://a")
    w.now, w.v = 62, "v3"                 # the import writes its next table
    assert warmer.step() == {}
    w.now = 66.9
    assert warmer.step() == {}
    w.now = 67
    assert set(warmer.step()) == {"http://a", "http://b"} and len(w.runs) == 8
    assert warmer.warm("http://a")


def test_a_process_whose_page_failed_is_tried_again_a_few_times():
    w = World()
    w.broken.add(("http://b", "project"))
    warmer = w.warmer(settle=0, tries=2)
    done = warmer.step()
    assert warm.ok(done["http://a"][1][1]) and not warm.ok(done["http://b"][1][1])
    assert warmer.warm("http://a") and not warmer.warm("http://b")
    assert list(warmer.step()) == ["http://b"]     # a is warm; b is tried again
    assert warmer.step() == {}                     # b has had its two tries for this version
    assert w.runs.count(("http://b", "")) == 2 and w.runs.count(("http://a", "")) == 1
    w.v = "v2"                                     # a new version: both again
    w.broken.clear()
    assert set(warmer.step()) == {"http://a", "http://b"} and warmer.warm("http://b")


def test_a_page_that_did_not_finish_or_was_not_found_is_not_warm():
    assert warm.ok(PageRun(finished=DONE))
    assert not warm.ok(PageRun(finished=None))
    assert not warm.ok(PageRun(finished=DONE, page_not_found=True))
    assert not warm.ok(PageRun(finished=DONE, exceptions=["boom"]))


def test_a_process_that_is_down_does_not_stop_the_others():
    w = World()
    warmer = warm.Warmer(["http://down", "http://a"], [""], lambda: w.v, w.probe, settle=0,
                         clock=lambda: w.now, log=lambda s: None)
    done = warmer.step()
    assert "ConnectionRefusedError" in done["http://down"][0][1].exceptions[0]
    assert warmer.warm("http://a") and not warmer.warm("http://down")
