function Get-VmmLibrarySourceListing {
    <#
    .SYNOPSIS
        Lists the files of library shares (read only) for a backup: folders depth first, links to folders not
        followed, an optional extension filter. Returns the store's SourceListing (Count, TotalBytes, Seen and
        Taken per share, GetFiles(), GetFailed() for folders that could not be listed).
    .PARAMETER Shares
        The share folders (full paths).
    .PARAMETER Extensions
        The extensions to keep, with their dot (empty: every file).
    .EXAMPLE
        $listing = Get-VmmLibrarySourceListing -Shares $shares -Extensions @('.vhdx')
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [string[]] $Shares,

        [AllowEmptyCollection()]
        [string[]] $Extensions = @()
    )

    if ($null -eq $Extensions) { $Extensions = @() }
    $listingType = (Get-VmmLibraryStoreType) + '.SourceListing' -as [type]
    $listingType::new([string[]]$Shares, [string[]]$Extensions)
}
