"""Open a report in headless Chromium: it renders, its figures load, no console errors."""

from __future__ import annotations

import shutil
import subprocess

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

PROBE = """
<script>
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var ok = imgs.filter(function (i) {
    return i.complete && i.naturalWidth > 0 && i.naturalHeight > 0 && i.src.length > 100;
  }).length;
  var d = document.createElement('div');
  d.id = 'probe';
  d.textContent = 'IMAGES ' + imgs.length + ' LOADED ' + ok;
  document.body.appendChild(d);
});
</script>
"""


def _chromium(args, tmp_path):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
           "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_report_renders_in_chromium(results, tmp_path):
    from hylyte.report.html import write_report

    out = write_report(results, tmp_path / "rep")
    page = (out / "report.html").read_text(encoding="utf-8")
    n_imgs = page.count("<img ")
    assert n_imgs >= 5
    probe = tmp_path / "probe.html"  # a copy with a tiny script; the report has none
    probe.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    proc = _chromium(["--dump-dom", probe.as_uri()], tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert f"IMAGES {n_imgs} LOADED {n_imgs}" in proc.stdout, proc.stdout[-500:]
    console = [ln for ln in proc.stderr.splitlines() if "CONSOLE" in ln or "Uncaught" in ln]
    assert not console, console

    shot = tmp_path / "shot.png"
    proc = _chromium([f"--screenshot={shot}", "--window-size=1200,1600",
                      (out / "report.html").as_uri()], tmp_path)
    assert shot.is_file(), proc.stderr[-2000:]
    import numpy as np
    from matplotlib.image import imread

    img = imread(str(shot))
    assert img.shape[0] > 100
    assert img.shape[1] > 100
    assert float(np.std(img[..., :3])) > 0.01  # not a blank page
