// Two things Streamlit's widgets do not do on their own: put the cursor in the question box when the page
// opens, and apply a date typed into a date field when Enter is pressed (an officer who types a date and
// presses Enter would otherwise see nothing change).
(function () {
  if (window.mqPage) return;  // the page reruns its script on every change; set up once per page load
  window.mqPage = true;

  let tries = 0;
  const focusQuestion = () => {
    const box = document.querySelector('.st-key-question input');
    if (!box) {
      if (++tries < 200) setTimeout(focusQuestion, 50);
      return;
    }
    const elsewhere = document.activeElement && document.activeElement !== document.body;
    if (!elsewhere) box.focus();
  };
  focusQuestion();

  // Streamlit's date field applies what was typed on Escape or on a click elsewhere, not on Enter: Enter in a
  // date field is passed on to it as Escape. (The browser test types a date and presses Enter.)
  document.addEventListener('keydown', (event) => {
    const field = event.target;
    if (event.key !== 'Enter' || !event.isTrusted || !field.closest) return;
    if (!field.closest('[data-testid="stDateInputField"]') || field.getAttribute('role') !== 'spinbutton') return;
    event.preventDefault();
    field.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', code: 'Escape', bubbles: true, cancelable: true}));
  }, true);
})();
