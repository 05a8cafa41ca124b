import os


class Foo:
    """Old class doc."""

    def __init__(self, root):
        def bah():
            def mad():
                return 1
            return mad() + 1
        self.root = root
        self.n = bah()

    @staticmethod
    def helper(x):
        return x * 2


def top(a, b=2):
    # a plain comment stays
    return os.path.join(a, str(b))
