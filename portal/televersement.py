"""Upload handler that never stores more of a file than the site accepts.

Django's TemporaryFileUploadHandler writes a whole upload (200 MB...) to disk before any form can
refuse it. This handler keeps writing only up to settings.UPLOAD_MAX_BYTES + 1 bytes, then counts the
rest without storing it, and lets the request go on being parsed: the other fields and files of the
form still arrive, so the form can say « pèse 200 Mo » next to the field and keep everything else.
(StopUpload would end the parsing and drop the rest of the form.)

The file it returns has `size` = the real size received (what validators compare to the limit),
`taille_reelle` (the same), `taille_stockee` (bytes actually on disk) and `trop_volumineux`.
Its content is truncated when `trop_volumineux`: never store such a file, refuse it.
"""

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler


def plafond_octets() -> int:
    """How many bytes of one file are stored: one more than the limit, so it is known to exceed it."""
    return int(settings.UPLOAD_MAX_BYTES) + 1


class TeleversementPlafonne(TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.plafond = plafond_octets()
        self.stockes = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        reste = self.plafond - self.stockes
        if reste > 0:
            morceau = raw_data[:reste]
            self.file.write(morceau)
            self.stockes += len(morceau)
        # Returning None consumes the chunk: no later handler stores it either.
        return None

    def file_complete(self, file_size: int) -> TemporaryUploadedFile:
        # file_size counts every byte the parser received for this file, stored or not.
        fichier = super().file_complete(file_size)
        fichier.taille_reelle = file_size
        fichier.taille_stockee = self.stockes
        fichier.trop_volumineux = file_size > int(settings.UPLOAD_MAX_BYTES)
        return fichier
