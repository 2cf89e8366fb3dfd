function Assert-VmmLibraryStoreFolder {
    <#
    .SYNOPSIS
        Refuses a library backup destination whose own folders (.lock, objects, objects/<xx>, objects/tmp, sets)
        are links, junctions or mount points (the store's compiled Store.FindLinkInStore): a backup, or its
        retention, never writes or removes through a link it did not make. Read only (it runs before the
        confirmation, with -WhatIf too).
    .PARAMETER Destination
        The destination (full path).
    .PARAMETER DisplayName
        The destination as the user gave it, for the message.
    .EXAMPLE
        Assert-VmmLibraryStoreFolder -Destination $destinationFull -DisplayName $Destination
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Destination,

        [string] $DisplayName = $Destination
    )

    $storeType = (Get-VmmLibraryStoreType) + '.Store' -as [type]
    $link = $storeType::FindLinkInStore($Destination)
    if ($null -ne $link) {
        $exception = New-Object -TypeName System.InvalidOperationException -ArgumentList "The backup destination '$DisplayName' holds a link, junction or mount point at '$link': a backup never writes or removes through a link it did not make. Remove it (the destination holds only what Backup-VmmLibraryShare wrote), or choose another destination."
        $PSCmdlet.ThrowTerminatingError((New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'VmmBackup.LinkInDestination', ([System.Management.Automation.ErrorCategory]::InvalidArgument), $link))
    }
}
