/* CV queueing snippet: put it before the widget's <script async>. Calls made before the
 * widget arrives are queued and run in order once it does; each returns a Promise that
 * settles with the real call's outcome. */
(function (w) {
  if (w.CV) return;
  var q = [];
  function stub(method) {
    return function () {
      var args = Array.prototype.slice.call(arguments);
      return new Promise(function (resolve, reject) {
        q.push([method, args, resolve, reject]);
      });
    };
  }
  w.CV = { q: q, user: { tag: stub('tag'), reset: stub('reset') } };
})(window);
