function Get-VmmLibraryRestorePlan {
    <#
    .SYNOPSIS
        What a restore of one share of a set will do, decided before anything is written (read only, no hashing):
        the files to restore (Items: each one's stored object, present at its size, and its place under the
        target), the reasons the set cannot be restored (Problems) and the links, junctions and mount points
        already on the way to the files (Links).
    .DESCRIPTION
        The store's compiled RestorePlan does the work: a file whose stored object is missing or of another size,
        whose name is not valid here, or whose place would be outside the target is a problem; a folder on the way
        that is a reparse point is a link. A file at its place that is itself a reparse point is a link when
        Find-VmmLinkInPath says so (the file system provider gives it a target); such files leave the plan.
    .PARAMETER Set
        The set (Resolve-VmmLibraryBackupSet: ObjectsPath).
    .PARAMETER Manifest
        The set's manifest (Read-VmmBackupManifest).
    .PARAMETER Share
        The share index whose files are planned (-1: every file).
    .PARAMETER Target
        The full path of the folder the share is restored onto, without a trailing separator.
    .EXAMPLE
        $plan = Get-VmmLibraryRestorePlan -Set $set -Manifest $manifest -Share 0 -Target 'D:\Library'
        if ($plan.Problems.Count -gt 0) { $plan.Problems }
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [object] $Set,

        [Parameter(Mandatory = $true)]
        [object] $Manifest,

        [int] $Share = -1,

        [Parameter(Mandatory = $true)]
        [string] $Target
    )

    $planType = (Get-VmmLibraryStoreType) + '.RestorePlan' -as [type]
    $plan = $planType::Build($Set.ObjectsPath, $Manifest.Files, $Share, $Target)
    foreach ($item in @($plan.ReparseFiles)) {
        # Its folders were found plain: Find-VmmLinkInPath answers for the file itself (a link has a target).
        $link = Find-VmmLinkInPath -Root $Target -Path $item.Target
        if ($null -ne $link) {
            $plan.Remove($item)
            if (-not $plan.Links.Contains($link)) { $plan.Links.Add($link) }
        }
    }
    $plan
}
