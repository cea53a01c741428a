// The dashboard's theme, remembered across visits: a cookie the server reads to render the first paint in the right
// theme (no flash from light to dark), and localStorage as the browser's own copy. "omw-theme" is the reader's choice;
// "omw-system" is the system's preference last seen, used for the first paint while no choice was made.
window.omwTheme = {
  save: function (name, value) {
    document.cookie = name + "=" + value + "; path=/; max-age=31536000; samesite=lax";
    try { localStorage.setItem(name, value); } catch (e) { /* storage may be off: the cookie is enough */ }
  },
};
