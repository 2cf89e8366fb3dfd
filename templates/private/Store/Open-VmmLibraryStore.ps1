function Open-VmmLibraryStore {
    <#
    .SYNOPSIS
        Opens a library backup destination for writing: creates its folders, takes its lock (one writer at a
        time; the system releases it even when the process is killed), records the writer in the lock file and
        deletes the leftovers of an interrupted copy (objects/tmp). Close it with Close-VmmLibraryStore.
    .DESCRIPTION
        Returns the store: Destination, ObjectsPath, TemporaryPath, SetsPath, LockPath and Lock (the open lock
        file). The lock file holds one JSON object (schema VmmBackup.LibraryLock): the store format, the
        process id, the computer and the time the lock was taken.
    .PARAMETER Cmdlet
        The $PSCmdlet of the cmdlet the user ran: its errors stop that cmdlet (Stop-VmmCommand).
    .PARAMETER Destination
        The destination (full path).
    .PARAMETER DisplayName
        The destination as the user gave it, for messages.
    .EXAMPLE
        $store = Open-VmmLibraryStore -Cmdlet $PSCmdlet -Destination $destinationFull -DisplayName $Destination
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.PSCmdlet] $Cmdlet,

        [Parameter(Mandatory = $true)]
        [string] $Destination,

        [string] $DisplayName = $Destination
    )

    $objectsRoot = [System.IO.Path]::Combine($Destination, 'objects')
    $temporaryRoot = [System.IO.Path]::Combine($objectsRoot, 'tmp')
    $setsRoot = [System.IO.Path]::Combine($Destination, 'sets')
    $lockPath = [System.IO.Path]::Combine($Destination, '.lock')
    try {
        $null = [System.IO.Directory]::CreateDirectory($temporaryRoot)
        $null = [System.IO.Directory]::CreateDirectory($setsRoot)
    } catch {
        Stop-VmmCommand -Cmdlet $Cmdlet -Message "Cannot create the backup destination '$DisplayName': $($_.Exception.Message). Check that the file server is reachable and that this account can write there." -ErrorId DestinationUnreachable -Category WriteError -Target $DisplayName
    }
    try {
        $lock = New-Object -TypeName System.IO.FileStream -ArgumentList $lockPath, ([System.IO.FileMode]::OpenOrCreate), ([System.IO.FileAccess]::ReadWrite), ([System.IO.FileShare]::None)
    } catch {
        Stop-VmmCommand -Cmdlet $Cmdlet -Message "Another backup is writing to '$DisplayName' (or it cannot be opened: $($_.Exception.Message)). Wait for it to finish and run the command again." -ErrorId DestinationBusy -Category ResourceBusy -Target $DisplayName
    }
    try {
        # Who holds the lock (for a person looking at a busy destination); the lock is the open handle, not this text.
        $record = '{"Format": "VmmBackup.LibraryLock", "formatVersion": ' + [int](Get-VmmLibraryStoreFormat).FormatVersion + ', "ProcessId": ' + $PID + ', "ComputerName": ' + (ConvertTo-VmmJsonString -Value ([System.Environment]::MachineName)) + ', "Since": "' + [datetime]::UtcNow.ToString('o', [System.Globalization.CultureInfo]::InvariantCulture) + '"}' + "`n"
        $bytes = (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false).GetBytes($record)
        $lock.SetLength(0)
        $lock.Write($bytes, 0, $bytes.Length)
        $lock.Flush()
        # Leftovers of an interrupted copy: never part of any set.
        foreach ($leftover in [System.IO.Directory]::GetFiles($temporaryRoot)) { [System.IO.File]::Delete($leftover) }
    } catch {
        $lock.Dispose()
        Stop-VmmCommand -Cmdlet $Cmdlet -Message "Cannot write to the backup destination '$DisplayName': $($_.Exception.Message). Check that this account can write there." -ErrorId DestinationUnreachable -Category WriteError -Target $DisplayName
    }
    [pscustomobject]@{
        Destination   = $Destination
        ObjectsPath   = $objectsRoot
        TemporaryPath = $temporaryRoot
        SetsPath      = $setsRoot
        LockPath      = $lockPath
        Lock          = $lock
    }
}
