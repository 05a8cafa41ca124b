'use strict';

/**
 * Doc for Stack.
 */
class Stack {
  /**
   * Doc for Stack.constructor.
   */
  constructor() {
    this.items = [];
  }

  /**
   * Doc for Stack.push.
   */
  push(item) {
    this.items.push(item);
  }
}

/**
 * Doc for outer.
 */
function outer(x) {
  /**
   * Doc for outer.inner.
   */
  function inner(y) {
    return y + 1;
  }
  return inner(x) * 2;
}

/**
 * Doc for square.
 */
const square = (n) => n * n;
