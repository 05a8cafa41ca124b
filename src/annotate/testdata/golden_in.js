'use strict';

/**
 * Old comment for Stack.
 */
class Stack {
  constructor() {
    this.items = [];
  }

  push(item) {
    this.items.push(item);
  }
}

function outer(x) {
  function inner(y) {
    return y + 1;
  }
  return inner(x) * 2;
}

const square = (n) => n * n;
