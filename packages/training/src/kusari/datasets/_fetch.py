"""Fetch a loader's raw file into the dataset root (download once, verify SHA-256)."""
import os

from kusari.dataset import download


def fetch(dataset_dir, base_url, filename, sha256, who):
    """Return the local path of ``base_url + filename``, downloading it if needed.

    The file is kept under its own name in ``<dataset root>/<dataset_dir>``, so
    that it can be put there by hand on a machine without network access.
    """
    directory = download.get_dataset_directory(dataset_dir)
    path = os.path.join(directory, filename)
    return download.download_to(base_url + filename, path, sha256, who)
