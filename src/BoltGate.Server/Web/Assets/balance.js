// The holder's "Tap your card" button: Web NFC (Chrome on Android) reads the card's NDEF URL and
// submits it like a pasted one. Elsewhere the button stays hidden and the paste form is the way.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("tap-button");
    var status = document.getElementById("tap-status");
    var form = document.getElementById("balance-form");
    var field = document.getElementById("tap-url");
    if (!button || !("NDEFReader" in window)) return;
    button.hidden = false;
    button.addEventListener("click", async function () {
      try {
        var reader = new NDEFReader();
        var controller = new AbortController();
        status.textContent = "Hold your card to the back of the phone…";
        reader.onreadingerror = function () { status.textContent = "The card could not be read; try again."; };
        reader.onreading = function (event) {
          var decoder = new TextDecoder();
          for (var i = 0; i < event.message.records.length; i++) {
            var record = event.message.records[i];
            if (record.recordType === "url" || record.recordType === "absolute-url") {
              field.value = decoder.decode(record.data);
              controller.abort();
              status.textContent = "Card read; checking…";
              form.requestSubmit();
              return;
            }
          }
          status.textContent = "This card carries no payment link.";
        };
        await reader.scan({ signal: controller.signal });
      } catch (e) {
        status.textContent = "NFC is not available here (" + e.name + "); paste the link instead.";
      }
    });
  });
})();
