import os


class Foo:
    """Doc for Foo."""

    def __init__(self, root):
        """Doc for Foo.__init__."""
        def bah():
            """Doc for Foo.__init__.bah."""
            def mad():
                """Doc for Foo.__init__.bah.mad."""
                return 1
            return mad() + 1
        self.root = root
        self.n = bah()

    @staticmethod
    def helper(x):
        """Doc for Foo.helper."""
        return x * 2


def top(a, b=2):
    """Doc for top."""
    # a plain comment stays
    return os.path.join(a, str(b))
