import subprocess
import sys

from typer.testing import CliRunner


def test_import_is_light():
    code = (
        "import sys, hylyte; hylyte.__version__; "
        "heavy = [m for m in ('matplotlib', 'torch', 'cupy', 'dask', 'pint', 'scipy', 'numba',"
        " 'pydantic') if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_cli_version_and_help():
    from hylyte import __version__
    from hylyte.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0
    assert res.stdout.strip() == __version__
    res = runner.invoke(app, ["--help"])
    assert res.exit_code == 0
