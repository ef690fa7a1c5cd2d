// While the tab is hidden, new lines count up in its title ("(3) Cats · gif-chat"), so a reader in another tab
// sees there is something to read; showing the tab again resets it.

export function createUnread() {
  const title = document.title;
  let count = 0;
  const render = () => { document.title = count ? `(${count}) ${title}` : title; };

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible') return;
    count = 0;
    render();
  });

  return {
    /** A line from somebody else arrived. */
    arrived() {
      if (document.visibilityState !== 'hidden') return;
      count += 1;
      render();
    },
  };
}
