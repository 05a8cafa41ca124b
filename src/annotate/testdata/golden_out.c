#include <stdio.h>

/**
 * Doc for add.
 */
int add(int a, int b)
{
    return a + b;
}

/**
 * Doc for point.
 */
struct point {
    int x;
    int y;
};

/**
 * Doc for print_point.
 */
static void print_point(const struct point *p)
{
    printf("%d %d\n", p->x, p->y);
}
