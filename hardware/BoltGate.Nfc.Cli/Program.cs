Console.Error.WriteLine("boltgate-nfc: not implemented yet (see the NFC provisioning issue).");
return 1;
