// Tests only: a small tree of Python, C and JavaScript files with every case a harvest filters
// (licence text, TODO and generated comments, an exact copy, a near copy, a docstring-only body).
#pragma once

#include <string>

namespace scale::distill::testtree {

inline const char* kShapes = R"PY("""Shapes and their measures."""


def area(width, height):
    """Return the area of a width by height rectangle."""
    return width * height


def perimeter(width, height):
    return 2 * (width + height)


def todo_thing(x):
    """TODO"""
    return x


def licensed(x):
    """Copyright (c) 2020 Example Corp. Licensed under the Apache License."""
    return x


class Circle:
    """A circle of a given radius, centred at the origin."""

    def __init__(self, radius):
        """Remember the radius of the circle."""
        self.radius = radius

    def area(self):
        """Return the area of the circle, pi times r squared."""
        return 3.14159 * self.radius ** 2
)PY";

// Same routine as shapes.area with other whitespace and case; a body that is only a docstring (a row,
// with `pass` for it); a docstring sharing its line with code (no row).
inline const char* kNear = R"PY(def area(width,  height):
    """return the AREA of a width-by-height rectangle"""
    return width*height


def stub():
    """Do nothing yet, subclasses fill this in."""


def same_line(x):
    """Return x unchanged, always."""; return x
)PY";

inline const char* kUtilC = R"C(/*
 * Copyright (c) 2021 Example Corp.
 * SPDX-License-Identifier: MIT
 */

#include <stddef.h>

/* Return the larger of two integers a and b. */
int max_int(int a, int b) {
  return a > b ? a : b;
}

int min_int(int a, int b) {
  return a < b ? a : b;
}

/**
 * Count the bytes of a NUL-terminated string, like strlen.
 */
size_t count_bytes(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}
)C";

inline const char* kAppJs = R"JS(/** FIXME */
function later(x) {
  return x;
}

/**
 * Format a user's full name as "Last, First".
 */
function fullName(user) {
  return user.last + ", " + user.first;
}

const double = (n) => n * 2;

// Auto-generated accessor for the user id.
function userId(user) {
  return user.id;
}
)JS";

// Writes the tree under dir/`root`; returns its path. Rows expected: copy_of_shapes.py 4 (it sorts
// before shapes.py, whose 4 are then duplicates), near.py 1, util.c 2, app.js 1.
// `Dir` is testing::TempDir (not included here: nothing under src/ includes tests/).
template <typename Dir>
std::string Write(const Dir& dir, const std::string& root = "proj") {
  dir.Write(root + "/pkg/shapes.py", kShapes);
  dir.Write(root + "/pkg/copy_of_shapes.py", kShapes);
  dir.Write(root + "/pkg/near.py", kNear);
  dir.Write(root + "/c/util.c", kUtilC);
  dir.Write(root + "/web/app.js", kAppJs);
  dir.Write(root + "/README.txt", "not code\n");
  return dir.file(root);
}

}  // namespace scale::distill::testtree
