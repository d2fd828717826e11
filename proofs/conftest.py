"""pytest collects every proof file of this directory (they are not named test_*.py: each file is
named after the identity or lemma it proves). A file given explicitly on the command line is
collected by pytest itself, so it is skipped here to avoid collecting it twice."""
import pytest


def pytest_collect_file(file_path, parent):
    if file_path.suffix != ".py" or file_path.name.startswith(("_", "conftest", "test_")):
        return None
    if parent.session.isinitpath(file_path):
        return None
    return pytest.Module.from_parent(parent, path=file_path)
