#include <stdio.h>

/* Old comment for add. */
int add(int a, int b)
{
    return a + b;
}

struct point {
    int x;
    int y;
};

static void print_point(const struct point *p)
{
    printf("%d %d\n", p->x, p->y);
}
