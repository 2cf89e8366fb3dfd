function Assert-VmmLibraryStoreFolder {
    <#
    .SYNOPSIS
        Refuses a library backup destination whose own folders (.lock, objects, objects/<xx>, objects/tmp, sets)
        are links, junctions or mount points (the store's compiled Store.FindLinkInStore): a backup, or its
        retention, never writes or removes through a link it did not make. Read only (it runs before the
        confirmation, with -WhatIf too).
    .PARAMETER Cmdlet
        The $PSCmdlet of the cmdlet the user ran: its errors stop that cmdlet (Stop-VmmCommand).
    .PARAMETER Destination
        The destination (full path).
    .PARAMETER DisplayName
        The destination as the user gave it, for the message.
    .EXAMPLE
        Assert-VmmLibraryStoreFolder -Cmdlet $PSCmdlet -Destination $destinationFull -DisplayName $Destination
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.PSCmdlet] $Cmdlet,

        [Parameter(Mandatory = $true)]
        [string] $Destination,

        [string] $DisplayName = $Destination
    )

    $storeType = (Get-VmmLibraryStoreType) + '.Store' -as [type]
    $link = $storeType::FindLinkInStore($Destination)
    if ($null -ne $link) {
        Stop-VmmCommand -Cmdlet $Cmdlet -Message "The backup destination '$DisplayName' holds a link, junction or mount point at '$link': a backup never writes or removes through a link it did not make. Remove it (the destination holds only what Backup-VmmLibraryShare wrote), or choose another destination." -ErrorId LinkInDestination -Category InvalidArgument -Target $link
    }
}
