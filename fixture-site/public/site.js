/* The fixture site's only script. Where a user is signed in, it tags them in the chat on
 * every page load (the vendor's advice; the widget must not duplicate anything); its logout
 * calls CV.user.reset() before the site ends its own session. */
(function () {
  var status = document.getElementById('chat-status');
  function say(text) {
    if (status) status.textContent = text;
  }

  var data = document.getElementById('cv-user');
  if (data) {
    var user = JSON.parse(data.textContent);
    CV.user.tag(user).then(
      function () {
        say('Your chat history is loaded.');
      },
      function (err) {
        say('Your chat history could not be loaded: ' + err.message);
      },
    );
  }

  var logout = document.querySelector('form[data-logout]');
  if (logout) {
    logout.addEventListener('submit', function (event) {
      event.preventDefault();
      var button = logout.querySelector('button');
      if (button) button.disabled = true;
      // A widget that never answers must not keep the user signed in: give it 5 seconds.
      var giveUp = new Promise(function (resolve) {
        setTimeout(resolve, 5000);
      });
      Promise.race([CV.user.reset(), giveUp])
        .catch(function (err) {
          console.error('CV.user.reset failed', err);
        })
        .then(function () {
          logout.submit();
        });
    });
  }
})();
